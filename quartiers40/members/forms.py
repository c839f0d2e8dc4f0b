from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from quartiers40.core.forms import WrittenTextMixin
from quartiers40.core.widgets import FastSelect
from quartiers40.territories.forms import QPVMultipleChoiceField
from quartiers40.territories.reference import DEPARTMENT_CHOICES

from .enums import OrganisationKind, Role
from .models import ORGANISATION_EDITABLE_FIELDS, Organisation, User
from .validators import ImageUploadField


class SignUpForm(WrittenTextMixin, forms.Form):
    display_name = forms.CharField(
        label=_("Votre nom ou pseudonyme"),
        max_length=120,
        help_text=_("C'est le nom que les autres membres verront si vous le rendez public."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        help_text=_("Nous vous enverrons un lien pour la confirmer. Elle n'est jamais publique."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        help_text=_("Au moins 10 caractères. Une phrase facile à retenir convient très bien."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_confirmation = forms.CharField(
        label=_("Confirmez le mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    is_resident = forms.BooleanField(
        label=_("J'habite dans un quartier prioritaire"),
        required=False,
        help_text=_("Votre profil reste privé : personne ne verra que vous habitez le quartier."),
    )
    accept_terms = forms.BooleanField(
        label=_("J'ai lu la page sur les données personnelles et j'accepte les règles du site"),
        required=True,
    )

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password and password != cleaned.get("password_confirmation"):
            self.add_error(
                "password_confirmation", _("Les deux mots de passe ne sont pas identiques.")
            )
        elif password:
            probe = User(
                email=cleaned.get("email", ""), display_name=cleaned.get("display_name", "")
            )
            try:
                password_validation.validate_password(password, probe)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Adresse e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    error_messages = {
        "invalid_login": _(
            "Adresse e-mail ou mot de passe incorrect. Vérifiez et réessayez, ou choisissez "
            "un nouveau mot de passe."
        ),
        "inactive": _("Ce compte est désactivé."),
    }


class ResetRequestForm(PasswordResetForm):
    email = forms.EmailField(
        label=_("Adresse e-mail de votre compte"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class NewPasswordForm(SetPasswordForm):
    pass


class ProfileForm(WrittenTextMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "display_name",
            "bio",
            "phone",
            "is_resident",
            "profile_public",
            "show_email_to_members",
            "show_phone_to_members",
        ]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 4}),
            "display_name": forms.TextInput(attrs={"autocomplete": "nickname"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        }


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Votre mot de passe, pour confirmer"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Ce mot de passe n'est pas le bon."))
        return password


class OrganisationForm(WrittenTextMixin, forms.ModelForm):
    website = forms.URLField(label=_("Site web"), required=False, assume_scheme="https")
    qpvs = QPVMultipleChoiceField(label=_("Quartiers prioritaires où elle agit"))

    class Meta:
        model = Organisation
        fields = [*ORGANISATION_EDITABLE_FIELDS, "qpvs"]
        field_classes = {"logo": ImageUploadField}
        widgets = {"description": forms.Textarea(attrs={"rows": 6}), "department_code": FastSelect}

    def clean_siret(self):
        return self.cleaned_data["siret"].replace(" ", "")

    def clean_rna(self):
        return self.cleaned_data["rna"].replace(" ", "").upper()


class MembershipRequestForm(WrittenTextMixin, forms.Form):
    """Join the collective for an existing organisation, or create a new one."""

    EXISTING = "existing"
    NEW = "new"
    choice = forms.ChoiceField(
        label=_("Pour quelle organisation ?"),
        choices=[
            (NEW, _("Une nouvelle organisation")),
            (EXISTING, _("Une organisation déjà membre")),
        ],
        widget=forms.RadioSelect,
        initial=NEW,
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation déjà membre"),
        queryset=Organisation.objects.members_of_collective().order_by("name"),
        required=False,
    )
    name = forms.CharField(
        label=_("Nom de la nouvelle organisation"), max_length=200, required=False
    )
    kind = forms.ChoiceField(
        label=_("Type d'organisation"),
        choices=[("", "—"), *OrganisationKind.choices],
        required=False,
    )
    department_code = forms.ChoiceField(
        label=_("Département"),
        choices=[("", "—"), *DEPARTMENT_CHOICES],
        required=False,
        widget=FastSelect,
    )
    commune_name = forms.CharField(label=_("Commune"), max_length=120, required=False)
    website = forms.URLField(label=_("Site web"), required=False, assume_scheme="https")
    description = forms.CharField(
        label=_("Ce que fait l'organisation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=10000,
    )
    message = forms.CharField(
        label=_("Un mot pour l'équipe de coordination"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("Pourquoi souhaitez-vous rejoindre le collectif ?"),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("choice") == self.EXISTING:
            if not cleaned.get("organisation"):
                self.add_error("organisation", _("Choisissez l'organisation."))
        else:
            for field in ("name", "kind", "department_code"):
                if not cleaned.get(field):
                    self.add_error(
                        field, _("Ce champ est obligatoire pour une nouvelle organisation.")
                    )
        return cleaned

    def new_organisation_fields(self) -> dict:
        return {
            field: self.cleaned_data[field]
            for field in (
                "name",
                "kind",
                "department_code",
                "commune_name",
                "website",
                "description",
            )
        }


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif (obligatoire pour un refus, envoyé à la personne)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


class InvitationForm(WrittenTextMixin, forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail de la personne"))
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices, initial=Role.MEMBER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices)


class ApiTokenForm(WrittenTextMixin, forms.Form):
    name = forms.CharField(
        label=_("Nom du jeton"),
        max_length=80,
        help_text=_("Pour vous rappeler où vous l'utilisez, par exemple « script d'import »."),
    )


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Nom ou commune"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Type"),
        choices=[("", _("Tous les types")), *OrganisationKind.choices],
        required=False,
    )
    department = forms.ChoiceField(
        label=_("Département"),
        choices=[("", _("Tous les départements")), *DEPARTMENT_CHOICES],
        required=False,
        widget=FastSelect,
    )
    qpv = forms.CharField(
        label=_("Quartier prioritaire (code)"),
        required=False,
        max_length=16,
        help_text=_("Le code du QPV, par exemple QN09301M."),
    )

    def clean_qpv(self):
        return self.cleaned_data["qpv"].strip().upper()
