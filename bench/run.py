"""`make bench`: every benchmark, each recording its section of bench/RESULTS.md."""

from bench import pipeline


def main() -> None:
    pipeline.main()


if __name__ == "__main__":
    main()
