-- The practice's own articles on the public site (SQLite dialect), written and edited in the admin interface. The
-- same language and slug as a built-in article or one in the content folder replaces it on the site. Public text,
-- so nothing here is encrypted. An article's slug and language never change after it is created, and
-- first_published_on is set when it is first published and never changed again: together they make its feed
-- entry's id, which must stay the same through edits.
CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    practice_id TEXT NOT NULL REFERENCES practices(id),
    lang TEXT NOT NULL,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    -- CommonMark, checked by the public site's renderer before it is stored.
    body TEXT NOT NULL,
    -- JSON arrays: the tags (strings) and the references ({id, text, url}).
    tags TEXT NOT NULL,
    sources TEXT NOT NULL,
    -- The byline as readers see it (NULL: the practice's name).
    author_name TEXT,
    -- YYYY-MM-DD.
    published_on TEXT NOT NULL,
    reviewed_on TEXT NOT NULL,
    first_published_on TEXT,
    status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (practice_id, lang, slug)
);
