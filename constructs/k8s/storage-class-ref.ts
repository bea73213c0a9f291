/** A StorageClass by name: what a claim needs of it (the class itself is another chart's object). */
export interface StorageClassRef {
  readonly name: string;
}
