"""django-ninja's files as a Django app, without importing django-ninja at start-up.

Listed in INSTALLED_APPS as `quartiers40.api.ninja_files` (`apps.NinjaFilesConfig`, label
"ninja") in place of "ninja": Django imports every installed app's package when it starts, and
`ninja/__init__.py` imports all of django-ninja (pydantic, `django.test`, jinja2), about
0.16 s in every process, every management command included. The app's templates and
static files (Swagger UI, served from our own host) and its command are found through
the app's path, which is django-ninja's directory; the API imports django-ninja when
its URL module is loaded.
"""
