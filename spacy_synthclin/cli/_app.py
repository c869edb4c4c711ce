"""The typer app shared by every CLI module (one module per command group)."""
import typer

app = typer.Typer(
    name="synthclin",
    help="spacy-synthclin: synthetic clinical/biomedical training data from LLMs, the spaCy way.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
