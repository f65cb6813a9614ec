"""Accounts: who may sign up, and how the sign-in pages look. django-allauth does the work.

Sign-up, sign-in (username or email), password reset, email confirmation and
single sign-on are allauth's views; this app only sets the policy (open,
restricted to email domains, or closed) and gives the pages the product's look.
"""
