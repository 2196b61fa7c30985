# a folder that spells supersede as upstream adr-tools does ("Superceded by") keeps its spelling
adr init
adr new Use MySQL
adr new -s 2 Use PostgreSQL
sed -i 's/Supersed/Superced/' doc/adr/0002-use-mysql.md doc/adr/0003-use-postgresql.md
adr new -s 3 Use SQLite
cat doc/adr/0003-use-postgresql.md
cat doc/adr/0004-use-sqlite.md
