from l10n_tool.cli import main

main()
