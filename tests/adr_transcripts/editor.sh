# the editor: VISUAL, else EDITOR, is run with the new record's path before the path is printed
adr new Opened in VISUAL
VISUAL= adr new Opened in EDITOR
env -u VISUAL -u EDITOR adr new Opened in no editor
adr init docs/adr
ls docs/adr
