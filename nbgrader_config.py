"""nbgrader configuration for the course.

solutions/<assignment>/ holds the instructor versions (nbgrader's "source"); running
`make assignments` writes the student versions to exercises/<assignment>/ ("release").
"""

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "rnn-tf2"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
# The gradebook is scratch state for generating and grading, never committed.
c.CourseDirectory.db_url = "sqlite:///_build/nbgrader/gradebook.db"

# What a student sees in place of a solution: a stub that fails loudly and says why.
c.ClearSolutions.code_stub = {
    "python": "# YOUR CODE HERE\n"
    'raise NotImplementedError("Write your solution here, then delete this line.")'
}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Each student notebook runs with a time limit per cell when it is graded.
c.ExecutePreprocessor.timeout = 120
