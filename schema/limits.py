"""Abuse limits: depth, aliases, tokens, page size, introspection and a calculated query cost.

All of them reject a document before any resolver runs, so a hostile query costs no SQL.
The validation rules are built once per schema and handed out by factories: strawberry's
ValidationCache keys on the rule classes, and a new class per request would make every
request a cache miss (strawberry issue #4635).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from graphql import (
    SKIP,
    ASTValidationRule,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    MaxIntrospectionDepthRule,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    VariableNode,
    VisitorAction,
    get_named_type,
)
from graphql import (
    ExecutionResult as GraphQLExecutionResult,
)
from strawberry.extensions import (
    AddValidationRules,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
    max_aliases,
    query_depth_limiter,
)
from strawberry.types.graphql import OperationType as StrawberryOperationType

from resolvers import budget
from schema.coercion import CoerceVariables, coerced_variables
from schema.operations import RequireOperationName
from schema.text import RefuseNul
from storage.database import is_database_unavailable

if TYPE_CHECKING:
    from resolvers.context import Context

log = logging.getLogger(__name__)

PAGE_ARGUMENTS = ("first", "last")
DEFAULT_PAGE_SIZE = 20
MUTATION_COST = 10
# Introspection is answered from memory, but a full-schema answer is ~200 KB: `__schema` is
# priced so that 5 fit in one operation, and a bucket pays for one a second. A flat price, so
# the standard introspection query (GraphiQL's) fits however large the schema grows.
INTROSPECTION_COSTS = {"__schema": 1000, "__type": 100}
# The standard introspection query nests `ofType` 9 deep (enough for `[[T!]!]!`); nothing
# needs more, and each level is one more object per type reference.
MAX_OF_TYPE_DEPTH = 10
INTROSPECTION_ROOTS = ("__schema", "__type")
# Mutations that check or set a password: argon2 is slow on purpose, so each one is a
# request's worth of CPU, and aliases would multiply it (and the guesses per request).
CREDENTIAL_FIELDS = ("register", "login")
CACHE_SIZE = 1024


@dataclass(frozen=True, slots=True)
class Limits:
    max_depth: int
    max_aliases: int
    max_tokens: int
    max_cost: int
    max_page_size: int
    # Off: `__schema` and `__type` are refused at validation; `__typename` stays.
    introspection: bool


def limit_extensions(limits: Limits) -> list[Callable[[], SchemaExtension]]:
    """Factories in the order they must run: the operation is picked and variables are coerced
    once the document is valid, and cost reads the validation result."""
    rules = [
        query_depth_limiter.create_validator(limits.max_depth, None, None),
        max_aliases.create_validator(limits.max_aliases),
        # The depth limit skips introspection: these bound it instead, graphql-core's rule
        # the nesting of its lists (fields, interfaces, ...), ours the `ofType` chains.
        MaxIntrospectionDepthRule,
        MaxOfTypeDepth,
        OneCredentialField,
        RefuseNul,
        *(() if limits.introspection else (NoIntrospection,)),
    ]
    return [
        lambda: MaxTokensLimiter(max_token_count=limits.max_tokens),
        lambda: ParserCache(maxsize=CACHE_SIZE),
        lambda: AddValidationRules(cast("list[type[ASTValidationRule]]", rules)),
        lambda: ValidationCache(maxsize=CACHE_SIZE),
        RequireOperationName,
        CoerceVariables,
        lambda: QueryCost(limits),
    ]


class NoIntrospection(ASTValidationRule):
    """INTROSPECTION=false: the schema is not described to callers; `__typename` still is."""

    def enter_field(self, node: FieldNode, *_args: Any) -> VisitorAction:
        if node.name.value in INTROSPECTION_ROOTS:
            self.report_error(
                GraphQLError(
                    f"Introspection is turned off on this server: `{node.name.value}` is not "
                    "available (`__typename` is).",
                    [node],
                    extensions={"code": "INTROSPECTION_DISABLED"},
                )
            )
            return SKIP
        return None


class OneCredentialField(ValidationRule):
    """At most one CREDENTIAL_FIELDS mutation field per document, aliases and fragments
    included: one password to hash or check per request."""

    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        self._fields: list[FieldNode] = []

    def enter_field(self, node: FieldNode, *_args: Any) -> None:
        parent = self.context.get_parent_type()
        mutation = self.context.schema.mutation_type
        if parent is not None and parent is mutation and node.name.value in CREDENTIAL_FIELDS:
            self._fields.append(node)

    def leave_document(self, *_args: Any) -> None:
        if len(self._fields) > 1:
            names = " or ".join(f"`{name}`" for name in CREDENTIAL_FIELDS)
            self.report_error(
                GraphQLError(
                    f"A request may contain at most one {names} field; this one has "
                    f"{len(self._fields)}. Send them one request at a time.",
                    self._fields,
                    extensions={"code": "BAD_REQUEST"},
                )
            )


class MaxOfTypeDepth(ASTValidationRule):
    """Refuses `ofType` nested more than MAX_OF_TYPE_DEPTH deep under `__schema`/`__type`.

    Each fragment's deepest chain is worked out once and remembered, so fragments spread many
    times cost linear work, and a fragment cycle (NoFragmentCyclesRule reports it) ends.
    """

    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        self._fragment_depths: dict[str, int] = {}

    def enter_field(self, node: FieldNode, *_args: Any) -> VisitorAction:
        if node.name.value not in INTROSPECTION_ROOTS:
            return None
        depth = self._depth(node.selection_set)
        if depth > MAX_OF_TYPE_DEPTH:
            self.report_error(
                GraphQLError(
                    f"Introspection nests `ofType` {depth} deep; at most {MAX_OF_TYPE_DEPTH} "
                    "levels are allowed.",
                    [node],
                )
            )
        return SKIP  # its fields are measured; nested roots cannot occur in introspection

    def _depth(self, selection_set: SelectionSetNode | None) -> int:
        if selection_set is None:
            return 0
        deepest = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                own = 1 if selection.name.value == "ofType" else 0
                deepest = max(deepest, own + self._depth(selection.selection_set))
            elif isinstance(selection, InlineFragmentNode):
                deepest = max(deepest, self._depth(selection.selection_set))
            elif isinstance(selection, FragmentSpreadNode):
                deepest = max(deepest, self._fragment_depth(selection.name.value))
        return deepest

    def _fragment_depth(self, name: str) -> int:
        if name not in self._fragment_depths:
            self._fragment_depths[name] = 0  # while in progress: a cycle adds nothing
            fragment = self.context.get_fragment(name)
            if fragment is not None:
                self._fragment_depths[name] = self._depth(fragment.selection_set)
        return self._fragment_depths[name]


class QueryCost(SchemaExtension):
    """Shopify-style cost: objects 1, connections 2 + page size x their items, mutations 10,
    `__schema` 1000 and `__type` 100 (INTROSPECTION_COSTS).

    Runs at validation, after the cached graphql-core rules, and with the variables, so
    `first: $n` is checked as well as `first: 1000`. The cost is reported in
    `extensions.cost`.
    """

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.cost: int | None = None
        self.throttle: budget.ThrottleStatus | None = None

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if not context.pre_execution_errors and context.graphql_document is not None:
            operation = _select_operation(
                context.graphql_document.definitions, context.operation_name
            )
            if operation is not None:
                errors = self._safely_measure(operation)
                if errors:
                    context.pre_execution_errors = errors
        yield

    def _safely_measure(self, operation: OperationDefinitionNode) -> list[GraphQLError]:
        # An exception here would bypass error masking (it escapes the operation hook).
        context = self.execution_context
        assert context.graphql_document is not None
        try:
            # Priced with the values the operation runs with: a `$n: Int = 100` default costs
            # what a literal 100 does. Variables that failed coercion stopped the request.
            variables = coerced_variables(context)
            return self._measure(
                context.schema._schema,
                context.graphql_document.definitions,
                operation,
                variables if isinstance(variables, dict) else {},
            )
        except Exception:
            request_id = getattr(context.context, "request_id", "unknown")
            log.exception("query cost analysis failed (request %s)", request_id)
            return [
                GraphQLError(
                    "Unexpected error. Quote the request id when reporting it.",
                    extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
                )
            ]

    def _measure(
        self,
        schema: GraphQLSchema,
        definitions: Any,
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any],
    ) -> list[GraphQLError]:
        fragments = {d.name.value: d for d in definitions if isinstance(d, FragmentDefinitionNode)}
        walker = _CostWalker(schema, fragments, variables, self.limits.max_page_size)
        root = {
            OperationType.QUERY: schema.query_type,
            OperationType.MUTATION: schema.mutation_type,
            OperationType.SUBSCRIPTION: schema.subscription_type,
        }[operation.operation]
        if root is None:
            return []
        cost = walker.selection_cost(root, operation.selection_set)
        if operation.operation is OperationType.MUTATION:
            cost += MUTATION_COST * len(operation.selection_set.selections)
        self.cost = cost
        if walker.errors:
            return walker.errors
        if cost > self.limits.max_cost:
            return [
                GraphQLError(
                    f"Query cost {cost} exceeds the maximum of {self.limits.max_cost}. "
                    "Ask for fewer items per page or fewer nested connections.",
                    nodes=[operation],
                    extensions={
                        "code": "QUERY_TOO_COSTLY",
                        "cost": cost,
                        "maximumCost": self.limits.max_cost,
                    },
                )
            ]
        return []

    async def on_execute(self) -> AsyncIterator[None]:
        # Validation passed, so the cost is known: the caller's budget pays it before anything
        # runs, and a result set here stops strawberry from executing the operation at all.
        context = self.execution_context
        paid: budget.ThrottleStatus | None = None
        if self.cost is not None:
            try:
                paid = self.throttle = await budget.charge(
                    cast("Context", context.context), self.cost
                )
            except budget.Throttled as refused:
                self.throttle = refused.status
                error = GraphQLError(refused.message, extensions=refused.extensions)
                if context.operation_type is StrawberryOperationType.SUBSCRIPTION:
                    # Strawberry starts a subscription whatever the result says; an error
                    # raised here ends it before it starts, as its first (and only) result.
                    raise error from None
                context.result = GraphQLExecutionResult(data=None, errors=[error])
        yield
        # A 503 (the database failed under the operation) is ours, not the caller's: the
        # points go back, so that retrying after Retry-After is not throttled as well.
        if self.cost is not None and paid is not None and _hit_unavailable(context.result):
            self.throttle = await budget.refund(cast("Context", context.context), self.cost, paid)

    def get_results(self) -> dict[str, Any]:
        if self.cost is None:
            return {}
        cost: dict[str, Any] = {
            "requestedQueryCost": self.cost,
            "maximumAvailable": self.limits.max_cost,
        }
        if self.throttle is not None:
            cost["throttleStatus"] = {
                "maximumAvailable": self.throttle.maximum_available,
                "currentlyAvailable": self.throttle.currently_available,
                "restoreRate": self.throttle.restore_rate,
            }
        return {"cost": cost}


def _hit_unavailable(result: Any) -> bool:
    errors = getattr(result, "errors", None)
    return any(is_database_unavailable(error.original_error) for error in errors or ())


def _select_operation(definitions: Any, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((op for op in operations if op.name and op.name.value == name), None)


class _CostWalker:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        max_page_size: int,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.max_page_size = max_page_size
        self.errors: list[GraphQLError] = []

    def selection_cost(self, parent: Any, selection_set: SelectionSetNode | None) -> int:
        if selection_set is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field_cost(parent, selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = (
                    self.schema.get_type(selection.type_condition.name.value)
                    if selection.type_condition
                    else parent
                )
                total += self.selection_cost(condition, selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None:
                    condition = self.schema.get_type(fragment.type_condition.name.value)
                    total += self.selection_cost(condition, fragment.selection_set)
        return total

    def field_cost(self, parent: Any, node: FieldNode) -> int:
        name = node.name.value
        if name.startswith("__"):
            return INTROSPECTION_COSTS.get(name, 0)  # `__typename` is free
        if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return 0
        definition: GraphQLField | None = parent.fields.get(name)
        if definition is None:
            return 0
        named = get_named_type(definition.type)
        if (
            not isinstance(named, GraphQLObjectType | GraphQLInterfaceType)
            and node.selection_set is None
        ):
            return 0  # scalars and enums are free
        children = self.selection_cost(named, node.selection_set)
        if any(arg in definition.args for arg in PAGE_ARGUMENTS):
            return 2 + self.page_size(node) * max(children, 1)
        return 1 + children * self.list_size(node)

    def page_size(self, node: FieldNode) -> int:
        sizes = [self.int_argument(node, arg) for arg in PAGE_ARGUMENTS]
        given = [size for size in sizes if size is not None]
        return max(given) if given else DEFAULT_PAGE_SIZE

    def list_size(self, node: FieldNode) -> int:
        """Fields taking a list of ids (nodes(ids:)) cost per id."""
        for argument in node.arguments or ():
            if argument.name.value == "ids":
                value = argument.value
                if isinstance(value, ListValueNode):
                    return max(len(value.values), 1)
                if isinstance(value, VariableNode):
                    given = self.variables.get(value.name.value)
                    return max(len(given), 1) if isinstance(given, list) else 1
        return 1

    def int_argument(self, node: FieldNode, name: str) -> int | None:
        for argument in node.arguments or ():
            if argument.name.value != name:
                continue
            value: Any = None
            if isinstance(argument.value, IntValueNode):
                value = int(argument.value.value)
            elif isinstance(argument.value, VariableNode):
                value = self.variables.get(argument.value.name.value)
            if not isinstance(value, int) or isinstance(value, bool):
                return None
            if not 0 <= value <= self.max_page_size:
                self.errors.append(
                    GraphQLError(
                        f"`{name}` must be between 0 and {self.max_page_size}; got {value}.",
                        nodes=[argument],
                        extensions={"code": "BAD_USER_INPUT", "argument": name},
                    )
                )
                return None
            return value
        return None
