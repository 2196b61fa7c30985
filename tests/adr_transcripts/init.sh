# adr init: the default folder and its first record, then a named folder remembered in .adr-dir
adr init
ls -a . doc/adr
cat doc/adr/0001-record-architecture-decisions.md
mkdir other
cd other
adr init docs/decisions
cat .adr-dir
adr new Use HTMX
ls docs/decisions
