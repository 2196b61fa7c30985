# adr help: the list of commands, each command's usage, and generate's reports
adr help
adr help new
adr help init
adr help link
adr help list
adr help upgrade-repository
adr help generate
adr help generate toc
adr help generate graph
adr help nonsense
adr generate
