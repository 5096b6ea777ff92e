"""The course's late-submission policy, as an nbgrader plugin (nbgrader_config.py).

A share of the notebook's score per started day after the due date, unless the
submission is within the grace period; the gradebook's due date and any extension
(Gradebook.grant_extension) decide how late a submission is. nbgrader's own
LateSubmissionPlugin offers only "none" and "zero".
"""

import math

from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Float


class PenaltyPerDay(LateSubmissionPlugin):
    percent_per_day = Float(10.0, help="percent of the score taken per started day late"
                            ).tag(config=True)
    grace_minutes = Float(15.0, help="minutes after the due date that cost nothing"
                          ).tag(config=True)

    def late_submission_penalty(self, student_id, score, total_seconds_late):
        if total_seconds_late <= 60 * self.grace_minutes:
            return 0.0
        days = math.ceil(total_seconds_late / 86400)  # days from the due date, not the grace
        return min(score, score * self.percent_per_day * days / 100)
