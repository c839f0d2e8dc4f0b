from quartiers40.search.engine.analysis import content_tokens, fold, index_terms, stem, tokens


def test_fold_lowercases_and_removes_accents_and_ligatures():
    assert fold("Épicerie Œuvre Cæsar ÇA") == "epicerie oeuvre caesar ca"


def test_tokens_drop_elisions_and_split_hyphens():
    assert tokens("L'ESS, d'abord ; j’ai qu'une idée") == ["ess", "abord", "ai", "une", "idee"]
    assert tokens("Villenave-d'Ornon") == ["villenave", "ornon"]


def test_short_hyphenated_words_also_give_the_joined_form():
    assert tokens("e-mail") == ["e", "mail", "email"]


def test_ordinals_and_digits():
    assert tokens("en 4ème et 3e, 2024") == ["en", "4e", "et", "3e", "2024"]


def test_every_token_is_plain_ascii():
    text = "Ça, c'est l’été à Saint-Médard-en-Jalles : 10 000 € pour l'IA générative !"
    assert all(t.isascii() and t.isalnum() and t == t.lower() for t in tokens(text))


def test_stop_words_and_conversational_fillers_go():
    assert content_tokens("j'ai pas de boulot, je cherche un truc chez moi") == ["boulot"]
    assert content_tokens("est-ce que je peux avoir une aide ?") == ["aide"]


def test_meaningful_short_words_stay():
    assert content_tokens("IA, CV et RSA pour l'ESS") == ["ia", "cv", "rsa", "ess"]


def test_plurals_feminines_and_verbs_meet():
    assert stem("logements") == stem("logement")
    assert stem("isolees") == stem("isole")
    assert stem("harceler") == stem("harcelement")
    assert stem("travailler") == stem("travail")
    assert stem("telephoner") == stem("telephone")


def test_index_terms_hold_the_word_and_its_stem():
    assert index_terms("Logements") == ["logements", "log"]


def test_question_fillers_go():
    assert content_tokens("où puis-je faire mes démarches près de chez moi ?") == ["demarches"]
    assert content_tokens("est-ce qu'il existe quelque chose pour moi") == ["chose"]
