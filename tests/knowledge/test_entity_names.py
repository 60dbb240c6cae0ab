"""Known entity names and the key their spellings meet under (issue 23, item 2)."""

from kg.knowledge.entity_names import entity_key, load_gazetteer


def test_spellings_meet_under_one_key():
    assert entity_key("CIFAR-10") == entity_key("cifar10") == "cifar10"
    assert entity_key("Graph Neural Networks") == entity_key("graph neural network")
    assert entity_key("Markov decision processes") == entity_key("Markov Decision Process")
    assert entity_key("strategies") == "strategy" and entity_key("ImageNet-1K") == "imagenet1k"


def test_gazetteers_join_aliases():
    datasets = load_gazetteer("dataset")
    assert datasets[entity_key("MSCOCO")] == datasets[entity_key("MS COCO")] == ("COCO", ("MS COCO", "MSCOCO", "MS-COCO"))
    assert datasets[entity_key("CIFAR10")][0] == "CIFAR-10"
    methods = load_gazetteer("method")
    assert methods[entity_key("convolutional neural networks")][0] == "CNN"
    assert methods[entity_key("resnet")][0] == "ResNet"
    assert load_gazetteer("metric")[entity_key("WER")][0] == "word error rate"
    assert load_gazetteer("nothing") == {}
