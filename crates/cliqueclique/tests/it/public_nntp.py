"""Sets up the owner account of a public website through its setup page, then reads it through
NNTP with that account's name and password, as a newsreader on another machine would.

Usage: public_nntp.py BASE_URL NNTP_PORT  (prints "setup ok", then, after the forum was posted,
reads "ready" from standard input and prints one line per check)
"""

import re
import sys
import urllib.parse
import urllib.error
import urllib.request
import warnings

warnings.simplefilter("ignore", DeprecationWarning)
import nntplib  # noqa: E402

base, port = sys.argv[1], int(sys.argv[2])
# A website's cookies are `Secure`, which a cookie jar keeps off plain HTTP: carry it by hand.
answer = urllib.request.urlopen(f"{base}/setup")
cookie = answer.headers["Set-Cookie"].split(";", 1)[0]
csrf = re.search(r'name="csrf" value="([^"]+)"', answer.read().decode()).group(1)
form = urllib.parse.urlencode({"csrf": csrf, "username": "ann", "password": "correct horse"})
request = urllib.request.Request(f"{base}/setup", data=form.encode(), headers={"Cookie": cookie})
try:
    urllib.request.urlopen(request)
except urllib.error.HTTPError as e:
    # The answer is a redirect to the home page, which needs the session cookie.
    assert e.code in (303, 403), e
print("setup ok", flush=True)
sys.stdin.readline()

try:
    nntplib.NNTP("127.0.0.1", port, user="ann", password="wrong password")
    raise AssertionError("a wrong password was accepted")
except nntplib.NNTPTemporaryError as e:
    assert str(e).startswith("481"), e
s = nntplib.NNTP("127.0.0.1", port, user="ann", password="correct horse")
assert "AUTHINFO" not in s.getcapabilities(), s.getcapabilities()
_, groups = s.list()
assert len(groups) == 1, groups
_, count, first, last, name = s.group(groups[0].group)
assert count == 1, count
response = s.post(
    f"Newsgroups: {name}\r\nSubject: From a newsreader\r\n\r\nHello from nntplib.\r\n".encode()
)
assert response.startswith("240"), response
print("read and posted as ann", flush=True)
s.quit()
