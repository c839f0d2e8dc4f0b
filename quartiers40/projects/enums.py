from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Soumis à la coordination")
    PUBLISHED = "published", _("Publié")
    RETURNED = "returned", _("Renvoyé pour compléments")
    ARCHIVED = "archived", _("Archivé")


class Stage(models.TextChoices):
    IDEA = "idea", _("Idée")
    PILOT = "pilot", _("Expérimentation")
    DEPLOYED = "deployed", _("Déployé")
    STOPPED = "stopped", _("Arrêté")


class AICategory(models.TextChoices):
    LANGUAGE = "language", _("Langage et texte")
    VISION = "vision", _("Vision")
    PREDICTION = "prediction", _("Prédiction")
    RECOMMENDATION = "recommendation", _("Recommandation")
    GENERATIVE = "generative", _("IA générative")
    ROBOTICS = "robotics", _("Robotique")
    OTHER = "other", _("Autre")


class Theme(models.TextChoices):
    EMPLOYMENT = "employment", _("Emploi")
    EDUCATION = "education", _("Éducation")
    HEALTH = "health", _("Santé")
    DIGITAL_INCLUSION = "digital_inclusion", _("Inclusion numérique")
    MOBILITY = "mobility", _("Mobilité")
    HOUSING = "housing", _("Logement")
    PUBLIC_SERVICES = "public_services", _("Services publics")
    SAFETY = "safety", _("Tranquillité publique")
    ENVIRONMENT = "environment", _("Environnement")
    CULTURE = "culture", _("Culture")
    LOCAL_ECONOMY = "local_economy", _("Économie locale")


class Beneficiary(models.TextChoices):
    RESIDENTS = "residents", _("Habitants")
    ASSOCIATIONS = "associations", _("Associations")
    SCHOOLS = "schools", _("Établissements scolaires")
    LOCAL_SERVICES = "local_services", _("Services publics locaux")
    BUSINESSES = "businesses", _("Entreprises")
    YOUTH = "youth", _("Jeunes")
    SENIORS = "seniors", _("Personnes âgées")
    JOB_SEEKERS = "job_seekers", _("Demandeurs d'emploi")
