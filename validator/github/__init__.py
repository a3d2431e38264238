"""Everything that talks to GitHub or reads its conventions.

``changes`` computes a pull request's changed catalog files from git; ``api`` is a
small REST client for issues and labels; ``sync`` keeps the one nightly report issue.
"""
