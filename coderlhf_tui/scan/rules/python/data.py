import json
import pickle

import yaml
from lxml import etree


def load_session(blob: bytes):
    # ruleid: python-unsafe-deserialization
    return pickle.loads(blob)


def load_config(text: str):
    # ruleid: python-unsafe-deserialization
    first = yaml.load(text)
    # ok: python-unsafe-deserialization
    second = yaml.safe_load(text)
    # ok: python-unsafe-deserialization
    third = yaml.load(text, Loader=yaml.SafeLoader)
    # ok: python-unsafe-deserialization
    fourth = json.loads(text)
    return first, second, third, fourth


def parse(xml: bytes):
    # ruleid: python-xml-external-entities
    parser = etree.XMLParser(resolve_entities=True)
    # ok: python-xml-external-entities
    safe = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.fromstring(xml, parser), safe
