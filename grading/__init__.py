"""The course's grader: sandboxed, tamper-resistant autograding of nbgrader assignments.

`rnn-grade` (grading.cli) grades a class; grading.grade holds the pipeline that both
instructors and the course's own tests use; grading.sandbox runs student code in
bubblewrap; grading.screen flags code that could change how the tests run;
grading.export writes the student-facing course without solutions.
"""
