# adr new -l TARGET:LINK:REVERSE-LINK, repeated
adr init
adr new Use PostgreSQL
adr new -l "2:Amends:Amended by" -l "1:Clarifies:Clarified by" Tune PostgreSQL
cat doc/adr/0001-record-architecture-decisions.md
cat doc/adr/0002-use-postgresql.md
cat doc/adr/0003-tune-postgresql.md
