"""A visit of several services, each with its own master (or any): the
wizard's query string carries `master_<service id>` per chosen service.

The booking engine chains the services back to back across the masters
chosen (`ItemSpec.master_id` per item), so the time step only lists starts
where the whole chain fits, exactly as the availability API does for the
same items.
"""

from solibook.core.ids import as_db_id


def per_service_masters(data, *, menu, default: int | None) -> dict[int, int | None]:
    """{service id: master id or None (any)} for every service of the menu.
    A master who does not perform the service here counts as "any"; so does
    anything that is not an id."""
    chosen: dict[int, int | None] = {}
    for service in menu:
        raw = data.get(f"master_{service.id}")
        master = default if raw is None else (None if raw == "any" else as_db_id(raw))
        chosen[service.id] = master if master in service.master_ids else None
    return chosen


def with_master_choices(*, menu, masters, choice) -> list:
    """The menu, each service carrying the masters who perform it here
    (`master_options`: [(id, name)]) and the one chosen (`chosen_master`)."""
    names = {m.pk: m.display_name for m in masters}
    for service in menu:
        service.master_options = [
            (pk, name) for pk, name in names.items() if pk in service.master_ids
        ]
        service.chosen_master = choice.masters.get(service.id)
    return menu
