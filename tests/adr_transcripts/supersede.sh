# adr new -s: by number or part of a file name, several at once
adr init
adr new Use MySQL
adr new -s 2 Use PostgreSQL
adr new -s 1 -s postgres Use SQLite
cat doc/adr/0001-record-architecture-decisions.md
cat doc/adr/0002-use-mysql.md
cat doc/adr/0003-use-postgresql.md
cat doc/adr/0004-use-sqlite.md
