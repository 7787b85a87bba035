"""The overdue view lists the most overdue cases first and pages through them without gaps."""

from datetime import timedelta

from django.utils import timezone

from resuelve.complaints import selectors
from resuelve.complaints.lifecycle import State


def test_it_lists_overdue_cases_most_overdue_first_across_pages(
    make_complaint, manager, supervisor
):
    now = timezone.now()
    made = []
    for days_late in (3, 40, 1, 17, 9, 25, 2):
        case = make_complaint(
            state=State.INVESTIGATING, received_at=now - timedelta(days=15 + days_late)
        )
        made.append((days_late, case.tracking_code))
    make_complaint(state=State.INVESTIGATING, received_at=now - timedelta(days=2))  # on time
    expected = [code for _late, code in sorted(made, reverse=True)]

    for user in (manager, supervisor):  # one query, and the merged branches of a scope
        seen, cursor = [], ""
        while True:
            page = selectors.queue_page(
                user=user, filters=selectors.QueueFilters(overdue=True), cursor=cursor, size=3
            )
            seen += [c.tracking_code for c in page.items]
            if not page.next_cursor:
                break
            cursor = page.next_cursor
        assert seen == expected
