from api.cli.main import app

app(prog_name="jixiao")
