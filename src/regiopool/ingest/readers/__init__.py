"""One reader per file format; the loader picks it by the contract's ``format``."""

from regiopool.ingest.readers.base import FileReader, Record, TableRead, UnreadableFileError
from regiopool.ingest.readers.csv_reader import CsvReader
from regiopool.ingest.readers.geojson_reader import GeoJsonReader
from regiopool.ingest.readers.jsonl_reader import JsonlReader
from regiopool.ingest.readers.xlsx_reader import XlsxReader

READERS = {"csv": CsvReader, "xlsx": XlsxReader, "geojson": GeoJsonReader, "jsonl": JsonlReader}

__all__ = ["READERS", "FileReader", "Record", "TableRead", "UnreadableFileError"]
