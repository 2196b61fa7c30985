# adr link SOURCE LINK TARGET REVERSE-LINK, by number and by part of a file name
adr init
adr new Use PostgreSQL
adr new Pool connections
adr link 3 Amends 2 "Amended by"
adr link pool "Builds on" record "Is built on by"
cat doc/adr/0001-record-architecture-decisions.md
cat doc/adr/0002-use-postgresql.md
cat doc/adr/0003-pool-connections.md
