"""Adapters to the outside world: database setup, Redis, media objects, the job queue.

Nothing here knows about GraphQL or the ORM models.
"""
