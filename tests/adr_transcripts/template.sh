# the template: the folder's templates/template.md, else the file ADR_TEMPLATE names
mkdir -p doc/adr/templates
printf '%s\n' '# NUMBER. TITLE' '' 'Date: DATE' '' '## Status' '' 'STATUS' '' '## Why' '' 'Say why.' > doc/adr/templates/template.md
adr new Use our own template
cat doc/adr/0001-use-our-own-template.md
printf '%s\n' '# NUMBER. TITLE' '' 'Date: DATE' '' '## Status' '' 'Proposed' > short.md
ADR_TEMPLATE=short.md adr new Use a template from anywhere
cat doc/adr/0002-use-a-template-from-anywhere.md
adr list
