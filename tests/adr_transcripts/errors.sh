# mistakes: a message, a failing exit status, and nothing changed on disk
adr list || echo "exit $?"
adr new || echo "exit $?"
adr link 1 || echo "exit $?"
adr init
adr new || echo "exit $?"
adr new -x Foo || echo "exit $?"
adr nonsense > /dev/null 2>&1 || echo "exit $?"
adr new -s 9 Replace a record that is not there || echo "exit $?"
ADR_DATE=12/01/1992 adr new Dated the old way || echo "exit $?"
VISUAL=false adr new Left by a failing editor || echo "exit $?"
adr init || echo "exit $?"
ls -a . doc/adr
