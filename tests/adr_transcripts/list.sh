# adr list: the records in order, as paths from the working folder, and nothing else
adr init
adr new Use PostgreSQL
adr new Pool connections
touch doc/adr/README.md doc/adr/notes.txt
mkdir -p doc/adr/templates src/app
adr list
cd src/app
adr list
