"""Helpers for the Neural Network Basics notebooks: self-checks, plots and interactive demos.

Nothing here answers a graded exercise; the demos run the learner's own functions.
"""
