"""Business B's accounting objects, for platform/tests/test_isolation.py (every URL taking one must 404 for A)."""

from datetime import UTC, date, datetime

from django_scopes import scopes_disabled


def objects_of_b(b, location_b) -> dict:
    from solibook.accounting.models import (
        CommissionRule,
        Expense,
        ExpenseCategory,
        PayStatement,
        Supplier,
    )
    from solibook.catalog.models import Master

    with scopes_disabled():
        category = ExpenseCategory.objects.create(business=b, name="B rent", code="b-rent")
        supplier = Supplier.objects.create(business=b, name="B supplier")
        expense = Expense.objects.create(
            business=b,
            location=location_b,
            category=category,
            description="B",
            amount=100,
            currency=b.currency,
            incurred_on=date(2030, 1, 1),
            paid_from="cash",
        )
        master = Master.objects.create(business=b, display_name="B's accounting master")
        rule = CommissionRule.objects.create(
            business=b,
            master=master,
            kind="service_percent",
            rate_bp=100,
            currency=b.currency,
            valid_from=date(2030, 1, 1),
        )
        statement = PayStatement.objects.create(
            business=b,
            master=master,
            period_start=date(2030, 1, 1),
            period_end=date(2030, 1, 31),
            currency=b.currency,
            created_at=datetime(2030, 2, 1, tzinfo=UTC),
        )
    return {
        "expense_id": expense.pk,
        "category_id": category.pk,
        "supplier_id": supplier.pk,
        "rule_id": rule.pk,
        "statement_id": statement.pk,
    }
