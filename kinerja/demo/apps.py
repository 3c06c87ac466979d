from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The Plaju demo: its data files (``data/*.yaml``) and the loader behind
    ``kinerja demo load``, on top of every other app. It has no models and no pages."""

    name = "kinerja.demo"
    label = "demo"
