"""The exceptions of 2captcha-python, at the same import paths (``.solver`` and ``.api``)."""
