# adr generate graph, plain and with -p LINK_PREFIX and -e LINK-EXTENSION
adr init
adr new Use PostgreSQL
adr new -s 2 Use SQLite
adr new -l "3:Amends:Amended by" Tune SQLite
adr generate graph
adr generate graph -p decisions/ -e .svg
