"""Drives two cliqueclique NNTP servers with Python's nntplib, as a newsreader would.

Usage: nntp_client.py PORT_A PORT_B ROOT_ID THREAD_ID

On B (which joined A's forum): LIST, GROUP, OVER, ARTICLE and HDR of the thread, then POST a
reply with References. On A: wait until the reply arrived through the network, and read it.
Prints one line per check; exits non-zero on the first failure.
"""

import base64
import sys
import time
import warnings

warnings.simplefilter("ignore", DeprecationWarning)
import nntplib  # noqa: E402

port_a, port_b, root, thread = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
root_id = f"<{root}@cliqueclique>"
thread_id = f"<{thread}@cliqueclique>"

b = nntplib.NNTP("127.0.0.1", port_b, readermode=True)
caps = b.getcapabilities()
assert "READER" in caps and "OVER" in caps, caps
_, groups = b.list()
names = [g.group for g in groups]
group = f"cc.{root[:12]}"
assert group in names, names
print("list ok", names)

_, count, first, last, name = b.group(group)
assert name == group and count >= 2, (count, first, last)
_, overviews = b.over((first, last))
by_id = {o["message-id"]: (n, o) for n, o in overviews}
assert root_id in by_id and thread_id in by_id, by_id.keys()
number, thread_over = by_id[thread_id]
assert thread_over["subject"] == "A thread", thread_over
assert thread_over["references"] == root_id, thread_over
print("over ok", number, thread_over["subject"])

_, info = b.article(number)
text = b"\n".join(info.lines).decode()
assert f"Message-ID: {thread_id}" in text, text
assert "Newsgroups: " + group in text, text
assert "Content-Transfer-Encoding: base64" in text, text
_, body = b.body(thread_id)
assert base64.b64decode(b"".join(body.lines)) == b"Let us talk.", body.lines
_, subjects = b.xhdr("subject", f"{first}-{last}")
assert any(s == "A thread" for _, s in subjects), subjects
try:
    b.group("no.such.group")
    raise AssertionError("a missing group was found")
except nntplib.NNTPTemporaryError as e:
    assert str(e).startswith("411"), e
try:
    b.article("<nothing@example.org>")
    raise AssertionError("a foreign message-id was found")
except nntplib.NNTPTemporaryError as e:
    assert str(e).startswith("430"), e
print("article ok")

reply = (
    f"From: b <b@example.org>\r\n"
    f"Newsgroups: {group}\r\n"
    f"Subject: Re: A thread\r\n"
    f"References: {root_id} {thread_id}\r\n"
    f"Content-Type: text/plain; charset=utf-8\r\n"
    f"\r\n"
    f"Posted with nntplib.\r\n"
    f".leading dot survives\r\n"
).encode()
response = b.post(reply)
assert response.startswith("240"), response
reply_id = response.split()[-1]
print("post ok", reply_id)
b.quit()

a = nntplib.NNTP("127.0.0.1", port_a, readermode=True)
deadline = time.time() + 60
while True:
    _, count, first, last, _ = a.group(group)
    _, overviews = a.over((first, last))
    found = [(n, o) for n, o in overviews if o["message-id"] == reply_id]
    if found:
        break
    assert time.time() < deadline, "the reply did not reach A"
    time.sleep(0.5)
number, over = found[0]
assert over["references"].split() == [root_id, thread_id], over
_, info = a.article(reply_id)
lines = info.lines
blank = lines.index(b"")
# A one-part document's body is its text part as stored: base64.
decoded = base64.b64decode(b"".join(lines[blank + 1 :])).decode()
assert decoded == "Posted with nntplib.\n.leading dot survives", decoded
print("arrived ok", number)
a.quit()
