"""Behaviour: queries, mutations, loaders and domain rules, as plain async functions."""
