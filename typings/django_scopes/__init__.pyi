# Type stubs for django-scopes 2.x, which ships none (no py.typed). Only the
# public API that Solibook uses; see django_scopes/{manager,state}.py.
from contextlib import AbstractContextManager
from typing import Any, TypeVar, overload

from django.db import models

_ManagerT = TypeVar("_ManagerT", bound=models.Manager[Any])

class ScopeError(Exception): ...

# At runtime this returns an instance of a subclass of `_manager_class` made
# inside the call (so the django-stubs plugin cannot resolve it): models
# annotate the attribute, e.g. `objects: ClassVar[models.Manager[Self]]`.
@overload
def ScopedManager(_manager_class: type[_ManagerT], **scopes: str) -> _ManagerT: ...
@overload
def ScopedManager(**scopes: str) -> models.Manager[Any]: ...
def scope(**scope_kwargs: Any) -> AbstractContextManager[None]: ...
def scopes_disabled() -> AbstractContextManager[None]: ...
def get_scope() -> dict[str, Any]: ...

__all__ = ["ScopeError", "ScopedManager", "get_scope", "scope", "scopes_disabled"]
