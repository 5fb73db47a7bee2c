"""Drop-in replacements for other captcha libraries, running on capbridge's engine.

* :mod:`capbridge.compat.twocaptcha`: the API of 2captcha-python (``TwoCaptcha``,
  ``AsyncTwoCaptcha``, its exceptions and its ``api_client``). Migrating is one import::

      from capbridge.compat.twocaptcha import TwoCaptcha   # was: from twocaptcha import TwoCaptcha

Each call becomes a capbridge solve: the service's request limits are kept, tasks in flight
are polled together where the kind allows it, every solve has a deadline, and errors keep the library's exception
classes with capbridge's ``kind``, ``retryable`` and ``task_id`` added. The README's
migration section lists where behaviour differs.
"""
