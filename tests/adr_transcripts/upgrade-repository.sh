# adr upgrade-repository: DD/MM/YYYY dates become ISO 8601, nothing else changes
adr init
printf '%s\n' '# 2. An old record' '' 'Date: 12/01/1992' '' '## Status' '' 'Accepted' > doc/adr/0002-an-old-record.md
adr upgrade-repository
cat doc/adr/0002-an-old-record.md
ls -a doc/adr
