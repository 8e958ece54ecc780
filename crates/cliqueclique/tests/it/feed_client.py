"""Reads a forum's and a thread's Atom feeds with feedparser, as a feed reader would.

Usage: feed_client.py BASE_URL ROOT_ID THREAD_ID REPLY_ID

Checks that both feeds parse cleanly (no bozo), carry the expected entries with their links
resolved against the site, and that no script from a document reaches an entry's content.
"""

import sys

import feedparser

base, root, thread, reply = sys.argv[1:5]

forum = feedparser.parse(f"{base}/feed/{root}.atom")
assert not forum.bozo, forum.bozo_exception
assert forum.feed.title == "The forum: new threads", forum.feed.title
assert [e.id for e in forum.entries] == [f"urn:cliqueclique:{thread}"], forum.entries
entry = forum.entries[0]
assert entry.title == "A thread", entry.title
assert entry.link == f"{base}/d/{thread}", entry.link
assert entry.author.startswith("a ("), entry.author
print("forum feed ok")

comments = feedparser.parse(f"{base}/feed/{thread}.atom")
assert not comments.bozo, comments.bozo_exception
assert [e.id for e in comments.entries] == [f"urn:cliqueclique:{reply}"], comments.entries
content = comments.entries[0].content[0]
assert content.type == "text/html", content
assert "<em>kept</em>" in content.value, content.value
assert "script" not in content.value and "onerror" not in content.value, content.value
print("thread feed ok")
