"""`python -m webui`: the same as the `webui` command."""

from webui.cli import main

if __name__ == "__main__":
    main(prog_name="webui")
