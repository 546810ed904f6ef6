"""Hooks of the follow-up app.

`follow_up_recorded(sender=FollowUp, follow_up, recipients)` is sent once a follow-up row
is committed; `recipients` are the accounts behind the input (the authors of the answered
comment, of the accepted proposal, or of the proposals a programme carries), without the
official who recorded it. Whatever tells people about it connects here.
"""

from django.dispatch import Signal

follow_up_recorded = Signal()
