#!/usr/bin/env python3

import unittest

try:
    from .abstract_async import AsyncAbstractTest
except ImportError:
    from abstract_async import AsyncAbstractTest


class AsyncFriendlyCaptchaTest(AsyncAbstractTest):
    def test_all_params(self):
        params = {
            'sitekey': 'FCMGEMUD2KTDSQ5H',
            'url': 'https://friendlycaptcha.com/demo',
        }

        sends = {
            'method': 'friendly_captcha',
            'sitekey': 'FCMGEMUD2KTDSQ5H',
            'pageurl': 'https://friendlycaptcha.com/demo',
        }

        self.send_return(sends, self.solver.friendly_captcha, **params)


if __name__ == '__main__':
    unittest.main()
