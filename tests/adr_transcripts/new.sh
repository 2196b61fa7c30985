# adr new: the first one makes doc/adr; words join into the title; numbers follow the highest
adr new Use PostgreSQL for search
adr new Keep   the words    apart
adr new "Quote 'it' and (brackets)"
cat doc/adr/0001-use-postgresql-for-search.md
touch doc/adr/0009-written-by-hand.md
adr new After a gap
ls doc/adr
head -1 doc/adr/0003-quote-it-and-brackets.md doc/adr/0010-after-a-gap.md
