# adr generate toc, plain and with -i INTRO, -o OUTRO (files) and -p LINK_PREFIX
adr init
adr new Use PostgreSQL
adr new -s 2 Use SQLite
adr generate toc
printf '%s\n' 'The decisions of this project.' > intro.md
printf '%s\n\n%s\n' 'Write a new one with adr new.' 'See also the index.' > outro.md
adr generate toc -i intro.md -o outro.md -p decisions/
adr generate toc -p https://example.com/adr/
