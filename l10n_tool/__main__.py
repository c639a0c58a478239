from l10n_tool.entry import main

main()
