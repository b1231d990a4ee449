import pytest

from gallery.classifier.metrics import binary_metrics, choose_threshold


def test_binary_metrics():
    m = binary_metrics([True, True, False, False], [0.9, 0.4, 0.6, 0.1], 0.5)
    assert (m.true_positives, m.false_negatives, m.false_positives) == (1, 1, 1)
    assert m.accuracy == 0.5
    assert m.precision == m.recall == m.f1 == 0.5


def test_threshold_stays_at_one_half_when_that_is_as_good_as_any():
    labels = [True, True, False, False]
    assert choose_threshold(labels, [0.9, 0.7, 0.3, 0.1]) == 0.5


def test_threshold_moves_to_the_middle_of_the_best_range():
    # Cats score 0.2 and up, not-cats 0.1 and below: 0.5 would miss a cat.
    labels = [True, True, False, False]
    threshold = choose_threshold(labels, [0.9, 0.2, 0.1, 0.01])
    assert 0.1 < threshold < 0.2
    assert binary_metrics(labels, [0.9, 0.2, 0.1, 0.01], threshold).f1 == 1.0


def test_threshold_needs_both_classes():
    with pytest.raises(ValueError, match="both"):
        choose_threshold([True, True], [0.2, 0.8])
