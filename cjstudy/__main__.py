from cjstudy.cli import main

main()
