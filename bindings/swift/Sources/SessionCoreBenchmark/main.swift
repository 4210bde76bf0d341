import SessionCore
print(version())
