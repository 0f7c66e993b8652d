"""Instructor tools for the course: grading, sandboxing, feedback and reports.

Never imported by a notebook (students import only `course`).
"""
