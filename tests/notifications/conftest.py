# The SMTP server on 127.0.0.1 of core's e-mail tests (aiosmtpd), for these tests too.
from tests.core.test_emails import smtp  # noqa: F401
