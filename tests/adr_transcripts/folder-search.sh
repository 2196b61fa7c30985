# the folder: .adr-dir or doc/adr, in the working folder or above it, else doc/adr here
mkdir -p project/doc/adr project/src/app
cd project/src/app
adr new Found from below
adr list
cd ../../..
mkdir -p other/records other/deep/er
echo records > other/.adr-dir
cd other/deep/er
adr new Found by adr-dir
adr list
cd ../..
ls records
