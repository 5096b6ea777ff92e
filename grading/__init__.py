"""The course's grader: sandboxed, tamper-resistant autograding of nbgrader assignments,
recorded in nbgrader's gradebook.

`rnn-grade` (grading.cli) grades a class; grading.grade holds the pipeline that both
instructors and the course's own tests use; grading.sandbox runs student code in
bubblewrap; grading.screen flags code that could change how the tests run;
grading.term records grades in nbgrader's gradebook and the term's folders;
grading.nbgrader_plugins routes nbgrader's autograde and feedback through the course's
grader; grading.exports, grading.statistics and grading.limits serve the instructor;
grading.student_edition writes the student-facing course without solutions.
"""
